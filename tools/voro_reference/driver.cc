// GlassML reference driver for voro++ (written for this project; voro++ itself is NOT part of the repository).
// Build and run: tools/voro_reference/make_voro_reference.sh (compiles against a voro++ source tree outside the repo).
//
// Usage: voro_reference DUMP [R_type1 R_type2 ...]
//   DUMP: a LAMMPS text dump of one frame (columns id type x y z first; orthogonal or triclinic "xy xz yz" box,
//         fully periodic). Radii per atom type switch to the radical (power) tessellation.
// The cell is handed to voro++'s container_periodic / container_periodic_poly, which take exactly LAMMPS's
// lower-triangular cell (bx, bxy, by, bxz, byz, bz); positions are shifted by (xlo, ylo, zlo).
//
// Output (all reals %.17g), per atom in dump order:
//   A id type volume area nfaces f0 f1 f2 ... fmax        (f_k = number of faces with k edges, voro++'s face_freq_table)
// followed by nfaces lines, in voro++'s face order:
//   F j area edges na nb nc subvol
//   j       neighbour atom id
//   area    face area (voro++ face_areas)
//   edges   edges (= vertices) of the face (voro++ face_orders)
//   na..nc  lattice image of j making the face: r_j + na*a + nb*b + nc*c - r_i is the face's displacement, with
//           r the dump positions; found by this driver as the image whose displacement is parallel to voro++'s
//           face normal and whose (radical) bisector plane distance matches the face (residuals checked below)
//   subvol  volume of the pyramid from the atom centre to the face: sum over the fan triangles (v0, vk, vk+1) of
//           voro++'s face vertices (relative to the centre) of det/6; checked against area*h/3 with h = n.v
// Diagnostics (max residuals) go to stderr.
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>
#include "voro++.hh"
using namespace voro;

static void die(const std::string &m) { std::fprintf(stderr, "voro_reference: %s\n", m.c_str()); std::exit(1); }

int main(int argc, char **argv) {
  if (argc < 2) die("usage: voro_reference DUMP [R_type1 R_type2 ...]");
  std::vector<double> radius;
  for (int k = 2; k < argc; k++) radius.push_back(std::atof(argv[k]));
  bool radical = !radius.empty();
  std::ifstream in(argv[1]);
  if (!in) die(std::string("cannot open ") + argv[1]);
  std::string line;
  int n = -1;
  bool tri = false;
  double lo[3], hi[3], tilt[3] = {0, 0, 0};
  std::vector<long> id; std::vector<int> type; std::vector<double> X, Y, Z;
  while (std::getline(in, line)) {
    if (line.rfind("ITEM: NUMBER OF ATOMS", 0) == 0) { std::getline(in, line); n = std::atoi(line.c_str()); }
    else if (line.rfind("ITEM: BOX BOUNDS", 0) == 0) {
      tri = line.find("xy") != std::string::npos;
      for (int d = 0; d < 3; d++) {
        std::getline(in, line);
        std::istringstream s(line);
        s >> lo[d] >> hi[d];
        if (tri) s >> tilt[d];
      }
    } else if (line.rfind("ITEM: ATOMS", 0) == 0) {
      if (line.find("ITEM: ATOMS id type x y z") != 0) die("dump columns must start with id type x y z");
      for (int i = 0; i < n; i++) {
        std::getline(in, line);
        std::istringstream s(line);
        long a; int t; double x, y, z;
        s >> a >> t >> x >> y >> z;
        if (!s) die("bad atom line");
        id.push_back(a); type.push_back(t); X.push_back(x); Y.push_back(y); Z.push_back(z);
      }
      break;
    }
  }
  if (n <= 0 || (int)id.size() != n) die("no atoms read");
  double xy = tilt[0], xz = tilt[1], yz = tilt[2];
  if (tri) {  // LAMMPS dumps bounding-box bounds for triclinic cells
    lo[0] -= std::fmin(std::fmin(0.0, xy), std::fmin(xz, xy + xz));
    hi[0] -= std::fmax(std::fmax(0.0, xy), std::fmax(xz, xy + xz));
    lo[1] -= std::fmin(0.0, yz);
    hi[1] -= std::fmax(0.0, yz);
  }
  double bx = hi[0] - lo[0], by = hi[1] - lo[1], bz = hi[2] - lo[2];
  // lattice vectors a = (bx,0,0), b = (xy,by,0), c = (xz,yz,bz)
  double L[3][3] = {{bx, 0, 0}, {xy, by, 0}, {xz, yz, bz}};
  double vol = bx * by * bz;
  double side = std::cbrt(vol / n * 4.0);  // about four atoms per block
  int nx = std::max(1, (int)(bx / side)), ny = std::max(1, (int)(by / side)), nz = std::max(1, (int)(bz / side));

  std::vector<double> px(n), py(n), pz(n), rad(n, 0.0);
  for (int i = 0; i < n; i++) {
    px[i] = X[i] - lo[0]; py[i] = Y[i] - lo[1]; pz[i] = Z[i] - lo[2];
    if (radical) {
      if (type[i] < 1 || type[i] > (int)radius.size()) die("no radius for an atom type");
      rad[i] = radius[type[i] - 1];
    }
  }
  // voro++ IDs: the index into the dump order (mapped back to atom ids on output)
  container_periodic *cp = nullptr;
  container_periodic_poly *cq = nullptr;
  if (radical) {
    cq = new container_periodic_poly(bx, xy, by, xz, yz, bz, nx, ny, nz, 8);
    for (int i = 0; i < n; i++) cq->put(i, px[i], py[i], pz[i], rad[i]);
  } else {
    cp = new container_periodic(bx, xy, by, xz, yz, bz, nx, ny, nz, 8);
    for (int i = 0; i < n; i++) cp->put(i, px[i], py[i], pz[i]);
  }
  int newell = 0;
  double maxPar = 0, maxPlane = 0, maxSubRel = 0, sumVol = 0;
  std::vector<std::string> out(n);
  std::vector<char> done(n, 0);
  char buf[256];
  // voronoicell_neighbor is not copyable: each cell is written to its atom's text as soon as it is computed
  auto emit = [&](int i, voronoicell_neighbor &c) {
    std::string &o = out[i];
    done[i] = 1;
    std::vector<int> nb, ord, fv, freq;
    std::vector<double> area, nrm, v;
    c.neighbors(nb); c.face_areas(area); c.face_orders(ord); c.normals(nrm); c.face_vertices(fv); c.vertices(v);
    c.face_freq_table(freq);
    int nf = (int)nb.size();
    if ((int)area.size() != nf || (int)ord.size() != nf || (int)nrm.size() != 3 * nf) die("inconsistent face arrays");
    double cv = c.volume();
    sumVol += cv;
    std::snprintf(buf, sizeof buf, "A %ld %d %.17g %.17g %d", id[i], type[i], cv, c.surface_area(), nf); o += buf;
    for (int f : freq) { std::snprintf(buf, sizeof buf, " %d", f); o += buf; }
    o += "\n";
    size_t q = 0;
    for (int f = 0; f < nf; f++) {
      int m = fv[q];
      const int *w = &fv[q + 1];
      q += m + 1;
      if (m != ord[f]) die("face order mismatch");
      double nx_ = nrm[3 * f], ny_ = nrm[3 * f + 1], nz_ = nrm[3 * f + 2];
      if (nx_ == 0 && ny_ == 0 && nz_ == 0) {
        // voro++ returns a zero normal when its edge cross products fall below its tolerance (tiny faces):
        // use the Newell normal of the face polygon instead (voro++ vertex order is clockwise seen from outside)
        double sx = 0, sy = 0, sz = 0;
        for (int k = 0; k < m; k++) {
          const double *p0 = &v[3 * w[k]], *p1 = &v[3 * w[(k + 1) % m]];
          sx += (p0[1] - p1[1]) * (p0[2] + p1[2]);
          sy += (p0[2] - p1[2]) * (p0[0] + p1[0]);
          sz += (p0[0] - p1[0]) * (p0[1] + p1[1]);
        }
        double s = -1 / std::sqrt(sx * sx + sy * sy + sz * sz);
        nx_ = sx * s; ny_ = sy * s; nz_ = sz * s;
        newell++;
      }
      // plane distance h = n.v (mean over the face's vertices) and fan pyramid volume
      double h = 0, sub = 0;
      double ax = v[3 * w[0]], ay = v[3 * w[0] + 1], az = v[3 * w[0] + 2];
      for (int k = 0; k < m; k++) h += nx_ * v[3 * w[k]] + ny_ * v[3 * w[k] + 1] + nz_ * v[3 * w[k] + 2];
      h /= m;
      for (int k = 1; k + 1 < m; k++) {
        double bx_ = v[3 * w[k]], by_ = v[3 * w[k] + 1], bz_ = v[3 * w[k] + 2];
        double cx = v[3 * w[k + 1]], cy = v[3 * w[k + 1] + 1], cz = v[3 * w[k + 1] + 2];
        sub -= (ax * (by_ * cz - bz_ * cy) - ay * (bx_ * cz - bz_ * cx) + az * (bx_ * cy - by_ * cx)) / 6.0;  // voro++ lists face vertices clockwise seen from outside
      }
      double ah3 = area[f] * h / 3.0;
      if (std::fabs(ah3) > 1e-12) maxSubRel = std::fmax(maxSubRel, std::fabs(sub - ah3) / std::fabs(ah3));
      // image of neighbour j: displacement parallel to n with the right plane distance
      int j = nb[f];
      if (j < 0) die("wall face in a periodic container");
      double best = 1e300, second = 1e300; int bs[3] = {0, 0, 0}; double bpar = 0, bplane = 0;
      for (int a = -2; a <= 2; a++) for (int b = -2; b <= 2; b++) for (int cc = -2; cc <= 2; cc++) {
        double dx = X[j] - X[i] + a * L[0][0] + b * L[1][0] + cc * L[2][0];
        double dy = Y[j] - Y[i] + a * L[0][1] + b * L[1][1] + cc * L[2][1];
        double dz = Z[j] - Z[i] + a * L[0][2] + b * L[1][2] + cc * L[2][2];
        double d = std::sqrt(dx * dx + dy * dy + dz * dz);
        if (d == 0) continue;
        double cx = dy * nz_ - dz * ny_, cy = dz * nx_ - dx * nz_, cz = dx * ny_ - dy * nx_;
        double par = std::sqrt(cx * cx + cy * cy + cz * cz) / d;
        double dot = (dx * nx_ + dy * ny_ + dz * nz_) / d;
        double hp = (d * d + rad[i] * rad[i] - rad[j] * rad[j]) / (2 * d);
        double plane = std::fabs(hp - h);
        double score = par + plane + (dot < 0 ? 10 : 0);
        if (score < best) { second = best; best = score; bs[0] = a; bs[1] = b; bs[2] = cc; bpar = par; bplane = plane; } else if (score < second) second = score;
      }
      if (second < 1e-6) die("ambiguous neighbour image");
      if (bplane > 1e-6) std::fprintf(stderr, "atom %ld face %d nb %ld: plane residual %g h %g area %g m %d\n", id[i], f, id[j], bplane, h, area[f], m);
      maxPar = std::fmax(maxPar, bpar); maxPlane = std::fmax(maxPlane, bplane);
      std::snprintf(buf, sizeof buf, "F %ld %.17g %d %d %d %d %.17g\n", id[j], area[f], ord[f], bs[0], bs[1], bs[2], sub); o += buf;
    }
  };
  {
    voronoicell_neighbor c;
    if (radical) {
      c_loop_all_periodic vl(*cq);
      if (vl.start()) do if (cq->compute_cell(c, vl)) emit(cq->id[vl.ijk][vl.q], c); while (vl.inc());
    } else {
      c_loop_all_periodic vl(*cp);
      if (vl.start()) do if (cp->compute_cell(c, vl)) emit(cp->id[vl.ijk][vl.q], c); while (vl.inc());
    }
  }
  for (int i = 0; i < n; i++) {
    if (!done[i]) die("a cell was not computed");
    std::fputs(out[i].c_str(), stdout);
  }
  std::fprintf(stderr, "voro_reference: %d atoms, %s, %s; sum of volumes %.17g, box %.17g; max image residuals: "
               "|d x n|/|d| %.3g, plane %.3g A; max |fan - A h/3|/(A h/3) %.3g; %d zero voro++ normals replaced by Newell normals\n",
               n, tri ? "triclinic" : "orthogonal", radical ? "radical" : "plain", sumVol, vol, maxPar, maxPlane, maxSubRel, newell);
  delete cp; delete cq;
  return 0;
}
