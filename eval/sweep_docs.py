"""Read every documentation file of 132 Python projects' source distributions, as a user pointing qa at
their folders would, and count what comes out: files read and skipped (by reason), units, and units that look
wrong (longer than 1,500 characters: a list or a table run together; of one word: a label or a link's text
standing alone).

    .venv/bin/python eval/sweep_docs.py [--cache DIR] [--json FILE]
    .venv/bin/python eval/sweep_docs.py --folder /usr/share/doc [--json FILE]

The sdists come from PyPI, pinned by their sha256 (eval/devset/build.py's `sdist`), and are unpacked into
`--cache` (default ~/.cache/qa/sweep, about 450 MB downloaded, 160 MB unpacked); only files ending in .rst,
.md, .txt, .html or .htm outside test and vendored folders are read, with qa's own loader and chunker. Nothing
is written into the repository. A reader change that should leave other files alone is checked by running
this before and after it (`--json` writes every file's units, to compare). `--folder DIR` reads every file
under DIR instead, whatever its name (a Debian system's /usr/share/doc: changelogs, NEWS files, READMEs,
copyright files, HTML and PDF manuals), grouped by ending (".gz" and the rest as "other").
"""

from __future__ import annotations

import argparse
import collections
import io
import json
import re
import sys
import tarfile
import time
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE / "devset"))

from build import sdist  # noqa: E402  (eval/devset/build.py: PyPI's simple index, the sha256 checked)

from qa.ingest.chunking import chunk_document  # noqa: E402
from qa.ingest.loaders import Skipped, load_file  # noqa: E402

SUFFIXES = (".rst", ".md", ".txt", ".html", ".htm")
_LEFT_OUT = re.compile(r"/tests?/|/testing/|/test_|/_vendor/|/vendor/")
LONG = 1500

# (distribution file, sha256)
SDISTS = [
    ("Kivy-2.3.1.tar.gz", "0833949e3502cdb4abcf9c1da4384674045ad7d85644313aa1ee7573f3b4f9d9"),
    ("Theano-1.0.5.tar.gz", "6e9439dd53ba995fcae27bf20626074bfc2fff446899dc5c53cb28c1f9202e89"),
    ("Whoosh-2.7.4.tar.gz", "7ca5633dbfa9e0e0fa400d3151a8a0c4bec53bd2ecedc0a67705b17565c31a83"),
    ("aiohttp-3.14.5.tar.gz", "5558a7f5a05af9ecf744af91e5baefc436f93c9333e656c27ec253f9a6bbe178"),
    ("alembic-1.20.1.tar.gz", "83490def1f723413db5096591f7609ac52544805be93849170088ed04f5a2e0b"),
    ("altair-6.3.0.tar.gz", "fa632121aca6d0fcb198a3d8a9f7d937fa5b7518ec947951cfffb44e736d97c8"),
    ("ansible_core-2.21.5.tar.gz", "65bb3148c58ebb843cd5074004c805f404f152114d98476dd823324616c9c6cb"),
    ("astropy-8.0.2.tar.gz", "e6af35823099ad6a40b57dbe5ff845f577374ea131925c9fa4b49eeab06c5310"),
    ("asyncpg-0.32.0.tar.gz", "45e64e56714d888330b884aad1dfb363d0bf43fb343e3d1a8968525f3bade478"),
    ("attrs-26.1.0.tar.gz", "d03ceb89cb322a8fd706d4fb91940737b6642aa36998fe130a9bc96c985eff32"),
    ("babel-2.19.0.tar.gz", "fddd2cbbbac7c299af3c2880be23609c331bd94f0912baca6cb0abfe054dfc27"),
    ("beautifulsoup4-4.15.0.tar.gz", "288e3ca7d54b06f2ac191970bc275c1939cb46d450b255bf6718b04aa37ab4f7"),
    ("black-26.10.1.tar.gz", "5f9f83beae62437e060dafd53d7f1fc327e3d3494f74d72ee5c2b73eb90fc4e7"),
    ("blosc-1.11.4.tar.gz", "e0b312d9554d3aea93c75af4ad70dfa8b815ef4fe2b658c313b2f27ed0f41d37"),
    ("bokeh-3.10.2.tar.gz", "d9fba1004fae149c6e6d54ba37410e52b8d4622ed5c6dad2220afa1b61362de0"),
    ("boto3-1.44.18.tar.gz", "232b51762ec4dc19e3d309f06494b5107101fd487aac9a976f7dfab2a2277304"),
    ("bottle-0.13.5.tar.gz", "1c19bde4f7a8ec51d797cc01686c2f410d7d9cba694b000a1e99d1facf9d548f"),
    ("breathe-5.1.0.tar.gz", "ff56af8bfd0b50ebf10c81a07b8a5739787eb015d26b4ba162b6983d6e17c7c3"),
    ("buildbot-4.3.0.tar.gz", "cbf46a15004bb1229712285e4f2b98163a169868ea00783e5e0d7cf8d5e8d962"),
    ("cffi-2.1.1.tar.gz", "dd31f52ea1086513bb9df30f8fcee9b8918323ae067a3d5b78bc826a000712be"),
    ("cftime-1.6.6.1.tar.gz", "3eff428a229169c2632c093b554e36dd5277dacc0f7aae8ad73ce6a93304d58d"),
    ("cherrypy-18.10.0.tar.gz", "6c70e78ee11300e8b21c0767c542ae6b102a49cac5cfd4e3e313d7bb907c5891"),
    ("coverage-7.18.0.tar.gz", "dd7258fab7dbc3bedcc94d6e9d4431408e390f080687b3463dbee3147715867f"),
    ("cupy-14.2.0.tar.gz", "cfed725e612178cfbdbf62f4a3a598b60edecbbca718c0d4580c21a16ae4a62c"),
    ("dash-4.4.1.tar.gz", "9356ca7856bc496c12c5b6de5978aaf783e090d07450ee395ade1c0c2cbdf816"),
    ("dask_ml-2025.1.0.tar.gz", "b31caeb5f603f9537ffa34bd247e0e1fcefda7c007631260f8abdee49f89b1e1"),
    ("datasette-0.65.5.tar.gz", "8d16ab1bf9a2753089cd3cb079045885d440f11267973e89e08e7fecf555264a"),
    ("dateparser-1.5.0.tar.gz", "08d62f2c00d3a1e806fc59d40c79e7554e31d84d3b8c6145820af051c92e7292"),
    ("discord_py-2.7.1.tar.gz", "24d5e6a45535152e4b98148a9dd6b550d25dc2c9fb41b6d670319411641249da"),
    ("docutils-0.23.1.tar.gz", "8a83ac8810e41228b6f20e96a183abd2460a1757f78e2603e3d4b31fe7d29622"),
    ("duckdb-2.0.1.tar.gz", "5b3f493140e35b75298ee0fc606d98e3065e8601e64fe81b09326de7a6fd68e0"),
    ("dulwich-1.2.21.tar.gz", "5d3939f64883e6799614cab708ef4ee9ef415dd6dcad47527cdbb0eea43bf3a2"),
    ("emcee-3.1.6.tar.gz", "11af4daf6ab8f9ca69681e3c29054665db7bbd87fd4eb8e437d2c3a1248c637d"),
    ("falcon-4.4.0.tar.gz", "9f3ffbddc8baed4573295642eddb18a37eea37baba9f20c5be379c8b3d3d79e6"),
    ("fastapi-0.165.0.tar.gz", "dd94d4128319c1e1d50535ab023ab698f850a4d2822f0e181747b46f4ff3c0ab"),
    ("fiona-1.10.1.tar.gz", "b00ae357669460c6491caba29c2022ff0acfcbde86a95361ea8ff5cd14a86b68"),
    ("flake8-7.5.0.tar.gz", "0dab7566341aca0d80aa29b5812bdadf256caa6a63e6068e49ac2649918236a4"),
    ("flask-3.1.3.tar.gz", "0ef0e52b8a9cd932855379197dd8f94047b359ca0a78695144304cb45f87c9eb"),
    ("geopandas-1.2.0.tar.gz", "72425b0dec1b77122b1e00f72c2b3b91f320cf0331ae236d37e26865e8808628"),
    ("gevent-26.9.0.tar.gz", "4dd4703d71737a456c1c9df5cd43a82934e5b10c87549caa02495f487d1ef0b1"),
    ("h5py-3.16.0.tar.gz", "a0dbaad796840ccaa67a4c144a0d0c8080073c34c76d5a6941d6818678ef2738"),
    ("holoviews-1.23.2.tar.gz", "e0c511e6d4db4f370f2550d363c23b70d7ee4f2310f1c7995b0f89cacf1eb107"),
    ("httpie-3.2.4.tar.gz", "302ad436c3dc14fd0d1b19d4572ef8d62b146bcd94b505f3c2521f701e2e7a2a"),
    ("hypothesis-6.170.27.tar.gz", "7a54eb4759f936301a4e4024318e7c59b4f8ef33a1a9e7f4bfccc08bda77d06b"),
    ("igraph-1.0.0.tar.gz", "2414d0be2e4d77ee5357807d100974b40f6082bb1bb71988ec46cfb6728651ee"),
    ("ipython-9.18.1.tar.gz", "6319c0f5372c196397899479e6db1783dd7937abae06815d1317e8d5d51aaaaf"),
    ("ipywidgets-8.1.9.tar.gz", "bcccba38a6ec3253f7a39c943cea5b9ad01999ce071396171adbc51c6a6a8613"),
    ("isort-9.0.2.tar.gz", "d2298980ce44350f11d9d24c8150eaef1883431ec203dddbb4e9b5c3ceb54c70"),
    ("joblib-1.6.0.tar.gz", "2ccc96785b12046c08fd6d55839c12857831b54a3c1673ffadd2f04bfc4eda03"),
    ("jupyterlab-4.6.6.tar.gz", "5f6fbb409158167aeefb5781d6f0b228e24b493cb6e6f1320fb5bc8897acc223"),
    ("kombu-5.7.0.tar.gz", "31e62fdfd2381caa3422f8e02b84a491d9a2180ddda74507b57f4cb1e1c2c2c9"),
    ("llvmlite-0.50.0.tar.gz", "f2a2cd6ec9ffcc1b7147dea0d7a49efebf17a2b434e0c2844fe175999d571eb4"),
    ("lmfit-1.3.4.tar.gz", "3c22c28c43f717f6c5b4a3bd81e893a2149739c26a592c046f2e33c23cfbe497"),
    ("mako-1.4.3.tar.gz", "cd6537fe88d5fec315c55c2f8529bc4ce7a9a352ad7db3eeaa6a66e2dd4ec37a"),
    ("marshmallow-4.4.0.tar.gz", "9e6ffa8511012ca89732324c1c253efd7b4d35632dcbdf80aa793fe01804af3e"),
    ("matplotlib-3.11.2.tar.gz", "cec596316640f2b394b8f0daa0ea61a8eae82d017b620b9f202befb972a59ea4"),
    ("meson-1.12.1.tar.gz", "ab0a6ca09f8ef70c564c8241fb5a23957886a0b53fb58412b5e07eaf07dba743"),
    ("mkdocs_material-9.8.2.tar.gz", "005d942bdbfa22efa049f4818c31d42fb36bed6d362adb641dd7a2e948078f9d"),
    ("mypy-2.4.1.tar.gz", "63b590965691e540a335fa74dadf31a7069142f6b72e234689bbd244edf55623"),
    ("nbconvert-7.17.2.tar.gz", "344a218e8595117ce37396ed025d994f146d076226ebac59255a2fa085ab24d8"),
    ("nbformat-5.11.1.tar.gz", "32d4521c68c6e7d5b29c76defaeed9f42ea733142b9b19f88277ce10390b9c4d"),
    ("netcdf4-1.7.5.1.post1.tar.gz", "9823076013fd54e7984d3ae8f431671fd199b15eeb267f91b8c4b057fd8324ab"),
    ("networkx-3.7.tar.gz", "fd77a511bd90f39f3d016351345b52cf5319b813bdca01de3f755d3cca62e96a"),
    ("nikola-8.3.3.tar.gz", "636d7d6ffc2ab24f4c2649e8695f8bb5604e309153ea4b60b786facae03ab1c7"),
    ("notebook-7.6.5.tar.gz", "5e3445616fb2c590015434045f5b297566c2e09c636d1837efc62bef85892c9f"),
    ("nox-2026.10.20.tar.gz", "5da57c009c3dfdd762c068d9079b17966ec967a9eb02cd8ebcf016a946eaf67f"),
    ("numcodecs-0.17.1.tar.gz", "5069dc01b0087c6135cbb3b043707aaf927c992fcd325248d15d907c51dd3747"),
    ("numexpr-2.14.2.tar.gz", "e7144e83ea9e581f2273e0304f15836736c4e470e2bd2e378ce617662a1ca278"),
    ("numpy-2.5.5.tar.gz", "5cddc243c75114ba845f01b1f87aca1572dbf7b6c2d88636ed3e1d2bccd7f1bf"),
    ("numpydoc-1.11.0.tar.gz", "26db0adaac8087e98da05c86b11198defd962aef7c21f4dffd2703c8c6eb4187"),
    ("pandas-3.1.1.tar.gz", "05fed3e3b7c99b226f160e29d7d6cb7ef39638c758cbfe42b3f24ba34f04b859"),
    ("panel-1.10.0.tar.gz", "ed4edce651ff08377e7927f53eccc425123a79db49afac0a7cae61436de61494"),
    ("param-2.4.2.tar.gz", "40ca94b72c97bf1998325738e002d589ce31a7cfb4cc56549f05daa6ccf98043"),
    ("paramiko-5.1.0.tar.gz", "239b5f9b2a53006cd54f83cf8495ee742083708ead947882c8dd2786de79f39b"),
    ("peewee-4.5.3.tar.gz", "434576afaf806428a01f84af74c42fde59372c4f6a6eba26d9b5372113344a8a"),
    ("pelican-4.12.0.tar.gz", "3983b5d2dc84c7bdf967154359077a2b78c0bbd2f7dcc55292133a7779609458"),
    ("pexpect-4.9.0.tar.gz", "ee7d41123f3c9911050ea2c2dac107568dc43b2d3b0c7557a33212c398ead30f"),
    ("pika-1.4.4.tar.gz", "8cfc8b33a5cb16e733bd60cffca9732c0d1d761ecd80a89f34ed7df2cd38d6d6"),
    ("pint-0.26.2.tar.gz", "391e5d2fc01fdb121c113b8eb47386688575542c1f5144c465ff318bf5133573"),
    ("pipenv-2026.10.3.tar.gz", "2c18e3a76d23e53bc439e8d67ce48da1ce03f6002e378359c4f31dbd137f142e"),
    ("plotly-7.1.0.tar.gz", "f860166a4a3d78c69cb1f4a15f28a5c8283eade98a282a698f3bb853a449ace5"),
    ("plumbum-2.0.2.tar.gz", "233751d7819c9e6743ec1c2405927eb4fa52a284c7b894bd10e28106a9309a92"),
    ("poetry-2.5.1.tar.gz", "19fbd566efced512be58989a756aa1333cdc9b6aabb4fc84fd1ec9d29ee74874"),
    ("polars-2.1.0.tar.gz", "9eee488d6e10773c028753dfc8dac647fd60a708108dcb818a733e85d33df253"),
    ("prompt_toolkit-3.0.53.tar.gz", "9ec8a0ad96d5c56148b3f914aa79c1564c3fde5d2e6b876e7bc327e353cf8fa6"),
    ("psutil-7.2.2.tar.gz", "0746f5f8d406af344fd547f1c8daa5f5c33dbc293bb8d6a16d80b4bb88f59372"),
    ("psycopg-3.3.9.tar.gz", "87c1d85c3e0e88e811d3c0b3808f947bd967c6faf34af6cd86fd021f77793d6c"),
    ("psycopg2-2.9.13.tar.gz", "d36784fc2dae69523ba4b79c7d1d1b4d6e83e87836874f111262f4db940b16a6"),
    ("pyarrow-26.0.1.tar.gz", "93affcbd8a343e98dc19e9ec8fe17271ebf8fe98102d8b7454175074409f8b72"),
    ("pybind11-3.1.0.tar.gz", "a1cc06b524ab3edca51f8ad3895f9c4fa20b8b19283173dff4ae781449dc9639"),
    ("pydantic-2.14.4.tar.gz", "7c19f1d46f8accf55a4617a6116e1ade64840870f397b846a2c53fb9019414ba"),
    ("pyflakes-4.1.0.tar.gz", "592beb57058eb82eb190fb7514f2081c555c51000b029ff71286a681e6cf2f83"),
    ("pygame-2.6.1.tar.gz", "56fb02ead529cee00d415c3e007f75e0780c655909aaa8e8bf616ee09c9feb1f"),
    ("pygments-2.21.0.tar.gz", "610ca751c9bc2492b38eb9a38a7fbc93edbbb2d7182edaf34e66ae493dee5c8c"),
    ("pyinstaller-6.22.3.tar.gz", "05eb2f5615503e72939a7224d68b4aff572c6b0438ee4a17d0a4b481f399362d"),
    ("pylint-4.1.5.tar.gz", "e6f1b42eefe7ac926ea0eb50f9528466610e6d77144a3e32357b992aa1adc6d5"),
    ("pymc-6.4.0.tar.gz", "319348878ec698b6cc406320456b2bc00d80bea9bfb72b6ab02b2ce6b179e3b5"),
    ("pymongo-4.20.1.tar.gz", "1ac112b3ffa3d010cfc2fc54e3ae677a12c63d18c6115db4451df64f1a1175eb"),
    ("pyproj-3.8.0.tar.gz", "efa59725bba68bf97fa808b61302df32934acdceb6a5c92a8dd0e71dc266a876"),
    ("pyramid-2.1.tar.gz", "5a24bc1b5f9e0f0d1c0b6ddd1111e84c15dac44a07e3c1d24e74dd9bb4fc22eb"),
    ("pytest-9.2.0.tar.gz", "97c4f3b1f3c7414aa36465e09b8220f1d03627993bd51b1282e193753c80557b"),
    ("pyzmq-27.3.0.tar.gz", "bbedb3d1d99babc625f1dd9d7438acefd442b36b75073fd6bc1ef7c0a4b96d56"),
    ("rasterio-1.5.2.tar.gz", "e65a15b7bd22ce8f8ce8159856669dc9fafabf66cde6156e8f8e71d55abcd515"),
    ("redis-8.2.0.tar.gz", "58b1493d83ba8f0e3ffe6bd781194ca5c01c91267ae03d29c1087b0b3c7d79c9"),
    ("requests-2.34.2.tar.gz", "f288924cae4e29463698d6d60bc6a4da69c89185ad1e0bcc4104f584e960b9ed"),
    ("rich-15.0.0.tar.gz", "edd07a4824c6b40189fb7ac9bc4c52536e9780fbbfbddf6f1e2502c31b068c36"),
    ("scikit_learn-1.9.1.tar.gz", "629cada3e33e2b9bf376cdc7614a47a4140b8aedc1d836579e359736fbd82977"),
    ("scipy-1.18.1.tar.gz", "52c4b7422442aba924d03ad4019852b08a92e64ea187b933135687bfe2747307"),
    ("seaborn-0.13.2.tar.gz", "93e60a40988f4d65e9f4885df477e2fdaff6b73a9ded434c1ab356dd57eefff7"),
    ("setuptools-84.2.1.tar.gz", "3ff8b3b5492a0aa66960f4419365a86b84e013070d4313e4d4a6894f5d64d6bc"),
    ("sh-2.4.0.tar.gz", "a250aef68509ed93419c9a1d90b0647cd5cbe26107ba94d3717ef5b6d595ffd9"),
    ("shapely-2.2.0.tar.gz", "e8865e553d874a1ec4a032057ea81fca9def37b188cd8fb550af3b3480b3f88c"),
    ("sphinx-9.2.0.tar.gz", "90470459f3cab15d9dfed146c71cf77694b0445df17b2e0e69059cb9f7fc9ee4"),
    ("sphinx_rtd_theme-3.1.0.tar.gz", "b44276f2c276e909239a4f6c955aa667aaafeb78597923b1c60babc76db78e4c"),
    ("sqlite_utils-4.2.1.tar.gz", "76114b6a5414714e6c70e5fa5c4781b301b590f6951b5da39c8cc60c21382ba1"),
    ("sqlmodel-0.0.50.tar.gz", "8828720c5b6c397df72cdd055286846a352b614da80c1ba05ab7a57b2bb90821"),
    ("statsmodels-0.15.0.tar.gz", "5d257fe58d0772bc46a557880ca78e2a8e07fec7bfd9d11074aef8e33e1aecbc"),
    ("sympy-1.14.0.tar.gz", "d3d3fe8df1e5a0b42f0e7bdf50541697dbe7d23746e894990c030e2b05e72517"),
    ("tables-3.11.1.tar.gz", "78abcf413091bc7c1e4e8c10fbbb438d1ac0b5a87436c5b972c3e8253871b6fb"),
    ("textual-8.2.8.tar.gz", "3f106a9fbc73e39dd266c9712432087de78a6d644084c7c241d6a25c3169115b"),
    ("tox-4.67.17.tar.gz", "8b170aa8d97cd3020f221fb876902aa70878b9fcbdbd1440ab3a33502b6c4d4e"),
    ("tqdm-4.70.1.tar.gz", "cefd0eca11b2a37a3aee776544d4f4ae913f02688135b5556b8788dfa474afc4"),
    ("trio-0.35.0.tar.gz", "7efb295c78a0ecd1235c5759e620b5da564ca80d2efcb0055423588547248b96"),
    ("twisted-26.10.0.tar.gz", "5f0355403e507fc23ceea85e9dbb4bc59335aabde41dd324e8b8cea180dd38de"),
    ("urwid-5.1.0.tar.gz", "36c8aa321fe5ac0c47dccc913bfbbd504d96caad8644c5a7ada0ec8c522fb808"),
    ("vega-4.1.0.tar.gz", "f25ae6842bf0733a81a624110a43e39a262c24f1c416765a6ff033921fa2ee5b"),
    ("virtualenv-21.15.14.tar.gz", "6c6e7aaf88064767c75c32a9df92eaa425cee5db4cc21caf031a78d89375d57f"),
    ("voila-0.5.13.tar.gz", "e7a01973b085888df9a0bf50207fc252f700675011a4d053ab1f94be219b55a7"),
    ("waitress-3.0.2.tar.gz", "682aaaf2af0c44ada4abfb70ded36393f0e307f4ab9456a215ce0020baefc31f"),
    ("werkzeug-3.1.9.tar.gz", "55ca7c70a75689be937aa27f8ff4b018f06ff4838fc73045560bf0f5a1291060"),
    ("xarray-2026.9.0.tar.gz", "6abc69694c22fa1f0fb2f357ff4e41d88beb4477ed71091f944b7dbf67ed54fe"),
    ("zarr-3.4.2.tar.gz", "645d64f292f457120fc0ca18dbe38f665b4c21aaea38a2a88b5eead8f06f3d28"),
]


def unpack(name: str, sha256: str, cache: Path) -> Path:
    """The sdist's documentation files under `cache`/<its folder>, downloaded and unpacked once."""
    folder = cache / re.sub(r"\.(tar\.gz|zip)$", "", name)
    if (folder / ".done").exists():
        return folder
    data = sdist(name, sha256)
    folder.mkdir(parents=True, exist_ok=True)
    if name.endswith(".zip"):
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            for member in archive.namelist():
                if member.lower().endswith(SUFFIXES) and ".." not in member:
                    target = cache / member
                    target.parent.mkdir(parents=True, exist_ok=True)
                    target.write_bytes(archive.read(member))
    else:
        with tarfile.open(fileobj=io.BytesIO(data)) as archive:
            wanted = [m for m in archive.getmembers() if m.isfile() and m.name.lower().endswith(SUFFIXES)]
            archive.extractall(cache, members=wanted, filter="data")
    (folder / ".done").touch()
    return folder


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cache", type=Path, default=Path.home() / ".cache" / "qa" / "sweep")
    parser.add_argument("--json", type=Path, help="write every file's units (their texts) here")
    parser.add_argument("--folder", type=Path, help="read every file under this folder instead of the sdists")
    args = parser.parse_args()
    if args.folder:
        args.cache = args.folder
        files = sorted(p for p in args.folder.rglob("*") if p.is_file() and not p.is_symlink())
    else:
        folders = [unpack(name, sha256, args.cache) for name, sha256 in SDISTS]
        files = sorted(
            p
            for folder in folders
            for p in folder.rglob("*")
            if p.is_file() and p.suffix.lower() in SUFFIXES and not _LEFT_OUT.search(str(p.relative_to(args.cache)))
        )
    by_kind: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    reasons: collections.Counter = collections.Counter()
    dump: dict[str, list[str]] = {}
    slowest = (0.0, "")
    started = time.perf_counter()
    for path in files:
        kind = ".html" if path.suffix.lower() == ".htm" else path.suffix.lower()
        kind = kind if kind in SUFFIXES or kind in (".gz", ".pdf") else "other"
        counts = by_kind[kind]
        counts["files"] += 1
        began = time.perf_counter()
        doc = load_file(path)
        if isinstance(doc, Skipped):
            counts["skipped"] += 1
            reasons[re.sub(r":.*", "", doc.reason)] += 1
            continue
        units = chunk_document(doc)[0]
        slowest = max(slowest, (time.perf_counter() - began, str(path.relative_to(args.cache))))
        counts["read"] += 1
        counts["units"] += len(units)
        counts["long units"] += sum(len(u.text) > LONG for u in units)
        counts["one-word units"] += sum(len(u.text.split()) == 1 for u in units)
        if args.json:
            dump[str(path.relative_to(args.cache))] = [u.text for u in units]
    elapsed = time.perf_counter() - started
    columns = ["files", "read", "skipped", "units", "long units", "one-word units"]
    print("| kind | " + " | ".join(columns) + " |")
    print("|---" * (len(columns) + 1) + "|")
    for kind in sorted(by_kind):
        print(f"| {kind} | " + " | ".join(f"{by_kind[kind][c]:,}" for c in columns) + " |")
    total = collections.Counter()
    for counts in by_kind.values():
        total.update(counts)
    print("| all | " + " | ".join(f"{total[c]:,}" for c in columns) + " |")
    print("\nskipped: " + ", ".join(f"{reason} {n}" for reason, n in reasons.most_common()))
    print(f"read in {elapsed:.0f} s; slowest file {slowest[0]:.1f} s ({slowest[1]})")
    if args.json:
        args.json.write_text(json.dumps(dump))


if __name__ == "__main__":
    main()
